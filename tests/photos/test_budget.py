"""The decode budget on its own: charges, order, the room kept for small images."""

from __future__ import annotations

import asyncio
import threading

import pytest

from rolodex.photos.budget import DecodeBudget, WeightedSemaphore, process_budget
from rolodex.photos.errors import ImageTooLarge

MiB = 2**20


def test_a_decode_needing_more_than_the_budget_allows_is_refused() -> None:
    budget = DecodeBudget(256 * MiB)
    assert budget.largest == 224 * MiB  # an eighth is kept for small images
    budget.check(224 * MiB)
    with pytest.raises(ImageTooLarge):
        budget.check(224 * MiB + 1)
    with pytest.raises(ImageTooLarge), budget.hold(300 * MiB):
        pass
    assert budget.in_use() == 0


def test_decodes_wait_until_their_charge_is_free() -> None:
    budget = DecodeBudget(256 * MiB)
    second_started = threading.Event()

    def second() -> None:
        with budget.hold(150 * MiB):
            second_started.set()

    with budget.hold(150 * MiB):
        thread = threading.Thread(target=second)
        thread.start()
        assert not second_started.wait(0.3)  # 150 + 150 MiB do not fit in 224
        assert budget.in_use() == 150 * MiB
    assert second_started.wait(10)
    thread.join(10)
    assert budget.in_use() == 0


def test_a_small_image_does_not_wait_behind_large_ones() -> None:
    async def scenario() -> list[str]:
        budget = DecodeBudget(256 * MiB)
        done: list[str] = []

        async def decode(name: str, need: int, seconds: float) -> None:
            async with budget.hold_async(need):
                await asyncio.sleep(seconds)
            done.append(name)

        large = [asyncio.create_task(decode(f"large{i}", 200 * MiB, 1.0)) for i in range(3)]
        await asyncio.sleep(0.05)  # the first large decode holds its charge, two wait
        await asyncio.wait_for(decode("small", 4 * MiB, 0), timeout=0.9)
        await asyncio.gather(*large)
        assert budget.in_use() == 0
        return done

    assert asyncio.run(scenario()) == ["small", "large0", "large1", "large2"]


def test_waiters_are_served_in_order_without_overtaking() -> None:
    async def scenario() -> list[str]:
        pool = WeightedSemaphore(100)
        order: list[str] = []
        await pool.acquire_async(60)

        async def take(name: str, weight: int) -> None:
            await pool.acquire_async(weight)
            order.append(name)
            pool.release(weight)

        big = asyncio.create_task(take("big", 90))
        await asyncio.sleep(0.01)
        medium = asyncio.create_task(take("medium", 30))  # would fit now, but big came first
        await asyncio.sleep(0.05)
        assert order == []
        pool.release(60)
        await asyncio.gather(big, medium)
        return order

    assert asyncio.run(scenario()) == ["big", "medium"]


def test_a_cancelled_waiter_gives_its_place_and_its_charge_back() -> None:
    async def scenario() -> int:
        pool = WeightedSemaphore(100)
        await pool.acquire_async(80)
        waiting = asyncio.create_task(pool.acquire_async(50))
        behind = asyncio.create_task(pool.acquire_async(20))
        await asyncio.sleep(0.01)
        waiting.cancel()
        await asyncio.wait_for(behind, timeout=1)  # no longer queued behind the cancelled one
        pool.release(20)
        pool.release(80)
        return pool.in_use

    assert asyncio.run(scenario()) == 0


def test_threads_and_tasks_share_one_budget() -> None:
    async def scenario(pool: WeightedSemaphore) -> None:
        await pool.acquire_async(100)
        pool.release(100)

    pool = WeightedSemaphore(100)
    pool.acquire(100)
    runner = threading.Thread(target=asyncio.run, args=(scenario(pool),))
    runner.start()
    runner.join(0.2)
    assert runner.is_alive()  # waiting on its loop for the thread's charge
    pool.release(100)
    runner.join(10)
    assert not runner.is_alive()
    assert pool.in_use == 0


def test_the_process_has_one_budget_per_size() -> None:
    assert process_budget(64 * MiB) is process_budget(64 * MiB)
