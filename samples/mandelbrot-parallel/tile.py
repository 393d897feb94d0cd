# One tile of the Mandelbrot image: rows first_row .. first_row + rows - 1 of a width x height image.
# Every tile worker runs this same file; the main thread decides who computes which rows.
import math
import time

MAX_ITER = 64
ESCAPE = 256.0  # |z|^2 beyond 16^2: a large radius makes the smooth colouring smoother
X_MIN, X_MAX, Y_MIN, Y_MAX = -2.25, 0.75, -1.125, 1.125  # 4:3, the whole set

# The "Ultra Fractal" gradient: deep blue, light blue, white, gold, black, back to deep blue.
STOPS = [(0.0, (0, 7, 100)), (0.16, (32, 107, 203)), (0.42, (237, 255, 255)),
         (0.6425, (255, 170, 0)), (0.8575, (0, 2, 0)), (1.0, (0, 7, 100))]


def _palette(size=256):
    colours = bytearray(size * 3)
    for k in range(size):
        t = k / size
        for (t0, c0), (t1, c1) in zip(STOPS, STOPS[1:]):
            if t0 <= t <= t1:
                f = (t - t0) / (t1 - t0)
                for channel in range(3):
                    colours[k * 3 + channel] = int(c0[channel] + (c1[channel] - c0[channel]) * f)
                break
    return colours


PALETTE = _palette()
LOG2 = math.log(2)


def render(first_row, rows, width, height):
    """RGBA pixels of the tile, and the sum of its iteration counts (the checksum)."""
    started = time.ticks_ms()
    rgba = bytearray(width * rows * 4)
    checksum = 0
    i = 0
    for py in range(first_row, first_row + rows):
        ci = Y_MIN + (Y_MAX - Y_MIN) * (py + 0.5) / height
        for px in range(width):
            cr = X_MIN + (X_MAX - X_MIN) * (px + 0.5) / width
            zr = zi = zr2 = zi2 = 0.0
            n = 0
            while n < MAX_ITER:
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                zr2 = zr * zr
                zi2 = zi * zi
                n += 1
                if zr2 + zi2 > ESCAPE:
                    break
            checksum += n  # whole numbers: the same in every worker, however the image is split
            if zr2 + zi2 <= ESCAPE:
                rgba[i + 3] = 255  # inside the set: black
            else:
                # Smooth colouring: the fractional escape count removes the colour bands.
                mu = n + 1 - math.log(math.log(zr2 + zi2) * 0.5) / LOG2
                k = int(math.sqrt(max(mu, 0.0)) * 40) % 256 * 3
                rgba[i] = PALETTE[k]
                rgba[i + 1] = PALETTE[k + 1]
                rgba[i + 2] = PALETTE[k + 2]
                rgba[i + 3] = 255
            i += 4
    return {
        "first_row": first_row,
        "rows": rows,
        "checksum": checksum,
        "seconds": time.ticks_diff(time.ticks_ms(), started) / 1000,
        # A list, not the bytearray: bytes and bytearrays cannot cross to the main thread
        # (DataCloneError), a list arrives there as a JavaScript Array of numbers.
        "rgba": list(rgba),
    }


__export__ = ["render"]
