//! `GET /v1/books/{id}/pages/{n}/revisions/{r}/picture`: the picture a page showed at an
//! earlier revision.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const {
            storyloom_functions::http::HttpFunction::of(storyloom_http::route::GET_REVISION_PICTURE)
        },
    )
    .await
}
