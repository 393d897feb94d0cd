# The summaries, in a module of their own. The worker's config fetches this file into the worker's
# filesystem, so background_tasks.py can import it like any module.
import statistics


def totals(records):
    """Orders, units and revenue per shop."""
    shops = {}
    for record in records:
        shop = shops.setdefault(record["shop"], {"shop": record["shop"], "orders": 0, "units": 0, "revenue": 0.0})
        shop["orders"] += 1
        shop["units"] += record["units"]
        shop["revenue"] += record["units"] * record["price"]
    return sorted(shops.values(), key=lambda shop: shop["shop"])


def averages(records):
    """Mean and median order size per product, and its mean price."""
    products = {}
    for record in records:
        products.setdefault(record["product"], []).append(record)
    rows = []
    for product, orders in sorted(products.items()):
        units = [order["units"] for order in orders]
        rows.append({
            "product": product,
            "mean_units": round(statistics.mean(units), 2),  # rounded here: both interpreters print it alike
            "median_units": statistics.median(units),
            "mean_price": round(statistics.mean([order["price"] for order in orders]), 2),
        })
    return rows
