//! `GET /v1/books/{id}/progress`: how far the pipeline got.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::GET_PROGRESS) },
    )
    .await
}
