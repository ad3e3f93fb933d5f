"""The API's routes, one APIRouter per resource; `search_api.app.create_app` includes them."""
