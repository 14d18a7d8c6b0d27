//! Schedule: deletes blobs nothing points at any more.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::job::serve(storyloom_functions::job::Job::PurgeExpired).await
}
