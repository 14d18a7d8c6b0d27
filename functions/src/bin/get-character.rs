//! `GET /v1/characters/{id}`: one character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::GetCharacter).await
}
