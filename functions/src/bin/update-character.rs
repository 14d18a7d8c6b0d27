//! `PUT /v1/characters/{id}`: edits a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::UpdateCharacter).await
}
