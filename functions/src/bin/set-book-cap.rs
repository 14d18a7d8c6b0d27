//! `PUT /v1/books/{id}/cap`: sets a book's cost cap.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::SetBookCap).await
}
