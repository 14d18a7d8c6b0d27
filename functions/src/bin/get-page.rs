//! `GET /v1/books/{id}/pages/{n}`: one page with its ETag.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::GET_PAGE) },
    )
    .await
}
