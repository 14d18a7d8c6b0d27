//! WebSocket `$disconnect`: forgets the connection and what it followed.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::live::serve_socket(storyloom_functions::live::Socket::Disconnect).await
}
