//! `POST /v1/books/{id}/pages/{n}/revisions/{r}/restore`: makes an earlier revision current again.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::RestoreRevision).await
}
