"""What every training loop of the course returns: one `TrainLog`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TrainLog:
    losses: list[float] = field(default_factory=list)           # loss of each optimiser step's batch
    eval_steps: list[int] = field(default_factory=list)         # where validation was measured (0 = before training)
    val_loss: list[float] = field(default_factory=list)         # validation loss at those steps
    eval_train_loss: list[float] = field(default_factory=list)  # training loss on fixed windows there (LMs)
    seconds: float = 0.0          # time spent in training steps
    tokens_seen: int = 0          # LMs: tokens in the batches trained on
    stopped_early: bool = False   # a time budget or a callback ended training before its steps

    @property
    def steps(self) -> int:
        """Optimiser steps taken."""
        return len(self.losses)

    def record_eval(self, step: int, val_loss: float, train_loss: float | None = None) -> None:
        self.eval_steps.append(step)
        self.val_loss.append(val_loss)
        if train_loss is not None:
            self.eval_train_loss.append(train_loss)

    def smoothed(self, window: int = 50) -> list[float]:
        """Mean of the last `window` step losses at each step (fewer at the start): batch losses
        are noisy, the trend is what to read."""
        return [sum(self.losses[max(0, i + 1 - window):i + 1]) / min(i + 1, window)
                for i in range(len(self.losses))]

    @property
    def tokens_per_second(self) -> float:
        return self.tokens_seen / self.seconds if self.seconds > 0 else float("nan")

    @property
    def final_val_loss(self) -> float:
        return self.val_loss[-1] if self.val_loss else float("nan")
