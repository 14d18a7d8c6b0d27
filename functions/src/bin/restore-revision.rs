//! `POST /v1/books/{id}/pages/{n}/revisions/{r}/restore`: makes an earlier revision current again.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::RESTORE_REVISION)
    }).await
}
