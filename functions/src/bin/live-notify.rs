//! Table stream: pushes a changed book's progress to every connection following it.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::live::serve_notifier().await
}
