//! `POST /v1/characters`: saves a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::CREATE_CHARACTER)
    }).await
}
