//! `GET /v1/books/{id}/pages/{n}/revisions`: a page's revisions.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::ListRevisions).await
}
