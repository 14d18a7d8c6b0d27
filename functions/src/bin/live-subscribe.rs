//! WebSocket `subscribe` (and `$default`): follows a book, answered with its progress.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::live::serve_socket(storyloom_functions::live::Socket::Subscribe).await
}
