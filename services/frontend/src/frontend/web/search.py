"""Search (`/search?q=`): UH's tenancies by tenancy ref, payment ref, name, postcode or
address, through income-api; results with an arrears case link to it."""

from __future__ import annotations

from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from frontend.domain.pagination import Pagination
from frontend.web.deps import IncomeApiDep, Templates
from frontend.web.forms import FormErrors
from frontend.web.session import CurrentUser

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 20
MIN_LENGTH: Final = 2


@router.get("/search")
async def search_page(
    request: Request,
    user: CurrentUser,
    income_api: IncomeApiDep,
    templates: Templates,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    q = q.strip()
    errors = FormErrors()
    results = None
    if q and len(q) < MIN_LENGTH:
        errors.add("q", f"Enter at least {MIN_LENGTH} characters to search for")
    elif q:
        results = await income_api.search(user, q, page=page, page_size=PAGE_SIZE)
    return templates.TemplateResponse(
        request,
        "search.html",
        {
            "title": f"Search results for ‘{q}’" if results else "Search",
            "q": q,
            "errors": errors,
            "results": results,
            "pages": Pagination(page=page, per_page=PAGE_SIZE, total=results.total)
            if results
            else None,
            "page_url": lambda number: f"/search?{urlencode({'q': q, 'page': number})}",
        },
        status_code=400 if errors else 200,
    )
