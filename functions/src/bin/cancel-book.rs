//! `POST /v1/books/{id}/cancel`: stops making a book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::CANCEL_BOOK) },
    )
    .await
}
