//! `POST /v1/characters`: saves a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::CreateCharacter).await
}
