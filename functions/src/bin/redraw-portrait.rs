//! `POST /v1/characters/{id}/portrait`: asks for a new drawing of a character's portrait.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::RedrawPortrait).await
}
