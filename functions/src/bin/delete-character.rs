//! `DELETE /v1/characters/{id}`: deletes a character.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::DeleteCharacter).await
}
