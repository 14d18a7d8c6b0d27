//! `POST /v1/books/{id}/retry`: redraws a partial book's failed pictures.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::RETRY_BOOK) },
    )
    .await
}
