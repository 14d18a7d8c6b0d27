//! `POST /v1/books/{id}/cancel`: stops making a book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::CancelBook).await
}
