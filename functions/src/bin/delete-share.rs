//! `DELETE /v1/books/{id}/shares/{user}`: revoke a share (owner only).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::DeleteShare).await
}
