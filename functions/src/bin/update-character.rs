//! `PUT /v1/characters/{id}`: edits a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::UPDATE_CHARACTER)
    }).await
}
