import sys

with open("corpus.txt") as f:
    WORDS = f.read().split()

print("words worker on", sys.implementation.name, "with", len(WORDS), "words")


def count(word):
    return sum(1 for w in WORDS if w == word)


__export__ = ["count"]
