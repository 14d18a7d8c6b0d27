//! `POST /v1/books/{id}/pages/{n}/redraw`: redraws one page's picture.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::REDRAW_PICTURE)
    }).await
}
