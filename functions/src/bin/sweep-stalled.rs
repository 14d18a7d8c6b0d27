//! Schedule: restarts (or fails) books stuck in a stage past its deadline.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::job::serve(storyloom_functions::job::Job::SweepStalled).await
}
