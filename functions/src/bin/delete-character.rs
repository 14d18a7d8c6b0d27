//! `DELETE /v1/characters/{id}`: deletes a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::DELETE_CHARACTER)
    }).await
}
