# The word counter, run in a MicroPython worker. Only count_words is reachable from the main thread.


def _words(text):
    # MicroPython's str has no translate(): keep letters, digits and apostrophes, blank the rest.
    cleaned = "".join([c if c.isalpha() or c.isdigit() or c == "'" else " " for c in text.lower()])
    return cleaned.split()


def count_words(text):
    counts = {}
    for word in _words(text):
        counts[word] = counts.get(word, 0) + 1
    # Most frequent first; ties in alphabetical order, so the answer never depends on luck.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    print(f"worker: {sum(counts.values())} words, {len(counts)} different")
    return {
        "words": sum(counts.values()),
        "different": len(counts),
        "top": [[word, n] for word, n in ranked[:5]],  # lists, not tuples: plain values cross best
    }


__export__ = ["count_words"]
