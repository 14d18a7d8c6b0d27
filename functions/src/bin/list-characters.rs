//! `GET /v1/characters`: the caller's characters.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::ListCharacters).await
}
