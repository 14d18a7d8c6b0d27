//! `DELETE /v1/books/{id}`: delete a book (owner only).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::DELETE_BOOK) },
    )
    .await
}
