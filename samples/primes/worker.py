# The prime sieve, run in a Pyodide worker. Only find_primes is reachable from the main thread.
import time

_numpy = None          # the module once loaded
_numpy_error = None    # why it could not be loaded, in plain words


async def _load_numpy():
    """Load numpy on first use. Pyodide downloads it the first time, so offline this can fail."""
    global _numpy, _numpy_error
    if _numpy is not None or _numpy_error is not None:
        return _numpy
    try:
        import pyodide_js
        await pyodide_js.loadPackage("numpy")
        import numpy
        _numpy = numpy
    except Exception as error:  # ImportError, or a failed download
        _numpy_error = (
            "NumPy could not be loaded, so pure Python was used. Pyodide downloads "
            "NumPy the first time it is used, and this page could not reach it."
        )
        print("numpy unavailable:", type(error).__name__)
    return _numpy


def _sieve_python(limit):
    is_prime = bytearray([1]) * (limit + 1)
    is_prime[0:2] = b"\x00\x00"
    for n in range(2, int(limit ** 0.5) + 1):
        if is_prime[n]:
            is_prime[n * n :: n] = bytes(len(range(n * n, limit + 1, n)))
    return [n for n in range(limit + 1) if is_prime[n]]


def _sieve_numpy(np, limit):
    is_prime = np.ones(limit + 1, dtype=bool)
    is_prime[:2] = False
    for n in range(2, int(limit ** 0.5) + 1):
        if is_prime[n]:
            is_prime[n * n :: n] = False
    # Plain ints: numpy arrays cannot cross to the main thread.
    return np.flatnonzero(is_prime).tolist()


async def find_primes(limit, use_numpy=False):
    limit = int(limit)
    if limit < 2:
        raise ValueError(f"the limit must be at least 2, not {limit}")
    started = time.time()
    np = await _load_numpy() if use_numpy else None
    primes = _sieve_numpy(np, limit) if np is not None else _sieve_python(limit)
    result = {
        "limit": limit,
        "count": len(primes),
        "first_20": primes[:20],
        "largest": primes[-1],
        "method": "numpy" if np is not None else "pure Python",
        "seconds": round(time.time() - started, 3),
        "note": _numpy_error if use_numpy and np is None else "",  # not None: it arrives as undefined
    }
    print(f"worker: {result['count']} primes up to {limit} ({result['method']})")
    return result


__export__ = ["find_primes"]
