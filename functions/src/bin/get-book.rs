//! `GET /v1/books/{id}`: one book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::GetBook).await
}
