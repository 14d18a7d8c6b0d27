//! `POST /v1/books/{id}/retry`: redraws a partial book's failed pictures.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::RetryBook).await
}
