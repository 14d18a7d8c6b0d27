//! `PUT /v1/books/{id}/pages/{n}`: replaces a page's text as a new revision.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::EDIT_PAGE) },
    )
    .await
}
