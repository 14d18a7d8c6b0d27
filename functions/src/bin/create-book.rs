//! `POST /v1/books`: orders a book (202, then the pipeline makes it).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::CREATE_BOOK) },
    )
    .await
}
