//! `GET /v1/books`: the caller's books, newest first.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::ListBooks).await
}
