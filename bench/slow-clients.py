"""Opens N connections to HOST:PORT and keeps them slow: a third say nothing, a third
trickle their request headers a byte a second, a third send headers and trickle a body a
byte a second. Each that the server cuts is opened again. Prints how many were open and
how many the server had cut when it receives SIGTERM."""

import asyncio
import signal
import sys

HOST, PORT, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cut = 0


async def one(i):
    global cut
    while True:
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            kind = i % 3
            if kind == 2:
                writer.write(b"POST /c/A01 HTTP/1.1\r\nHost: x\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\n"
                             b"Content-Length: 100000\r\n\r\n")
                trickle = b"a" * 100000
            elif kind == 1:
                trickle = b"GET /c/A01 HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 100000
            else:
                trickle = b""
            for byte in trickle:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(1)
            await reader.read()
        except (ConnectionError, OSError):
            pass
        cut += 1


async def main():
    tasks = [asyncio.create_task(one(i)) for i in range(N)]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print(f"slow connections: {N} kept open, {cut} cut by the server and opened again", flush=True)
    for t in tasks:
        t.cancel()


asyncio.run(main())
