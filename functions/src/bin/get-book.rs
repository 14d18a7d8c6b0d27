//! `GET /v1/books/{id}`: one book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::GET_BOOK) },
    )
    .await
}
