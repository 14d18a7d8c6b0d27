//! WebSocket `$connect`: opens a connection for whoever its ticket was issued to.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::live::serve_socket(storyloom_functions::live::Socket::Connect).await
}
