-- POST a small valid JSON body to the URL given to wrk.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name": "Bench product", "price": "9.99", "stock": 1, "description": null}'
