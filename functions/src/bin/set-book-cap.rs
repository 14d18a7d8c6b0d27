//! `PUT /v1/books/{id}/cap`: sets a book's cost cap.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::SET_BOOK_CAP) },
    )
    .await
}
