"""Lesson 00 · setting up: quiz (no checked exercise: the setup lesson has no function to write)."""
from __future__ import annotations

from course_utils.learn.exercise import Exercise, Mistake  # noqa: F401
from course_utils.learn.quiz import Choice, Number, Option

QUIZ = [
    Choice("The setup cell prints \"mode: offline (COURSE_MODE=offline)\". What does offline mode (오프라인 모드) "
           "mean for the lessons?", (
        Option("The lessons run without models, showing stored outputs only",
               "Every lesson runs its code offline too, with real models: installed from PyPI or trained by the "
               "course."),
        Option("Each role that has an offline model is played by one installed from PyPI or trained by the "
               "course, and nothing is downloaded (HF_HUB_OFFLINE=1)",
               "The catalog names an offline model for five roles; the other three roles are online only, and "
               "their lessons train their own small model or show the code.", correct=True),
        Option("The Hub models are used, read from this machine's cache",
               "That is the cached mode: online models, no downloads, from an earlier online run's cache."),
        Option("The same Hub models are downloaded more slowly",
               "Offline nothing is downloaded: the Hugging Face libraries are told so (HF_HUB_OFFLINE=1)."),
    )),
    Choice("Why does the course read model weights from safetensors files rather than pickled .bin files?", (
        Option("Loading a pickle can run code hidden in the file; a safetensors file holds only tensors, so "
               "reading it runs nothing", "So opening a stranger's .bin is like running their program. The one "
               "Hub repo without safetensors is read with weights_only=True, which accepts tensors only.",
               correct=True),
        Option("safetensors files are much smaller", "Both store the same numbers; the size is about the same. "
               "The difference is what reading them may execute."),
        Option("A .bin file cannot hold 16-bit numbers", "It can; the problem is that a pickle may carry code, "
               "not numbers of the wrong type."),
    )),
    Choice("A Hub repo asks you to load it with trust_remote_code=True. What does that option do?", (
        Option("It checks the repo's signature, so the weights are safe",
               "Nothing is checked: the option only allows the repo's own code to run."),
        Option("It downloads and runs the repo's own Python code on your machine, with your permissions",
               "That is why the course never passes it: every model it uses is a class built into transformers, "
               "so no repo code is needed.", correct=True),
        Option("It lets transformers use the GPU", "The device has nothing to do with it: cu.get_device() picks "
               "it, and the model is moved there with .to(device)."),
        Option("It allows downloads in offline mode", "Offline mode forbids downloads whatever the other options "
               "say; trust_remote_code is about running the repo's code."),
    )),
    Choice("The environment report (환경 정보) says device cpu and dtype float32. What follows?", (
        Option("The lessons cannot run until you find a GPU", "Every lesson runs on a CPU; a GPU only makes the "
               "longer training steps faster."),
        Option("Results will be exactly the stored ones", "The stored run is a CPU run too, but measured numbers "
               "(losses, accuracies, samples) can differ a little with the CPU and the torch version: that is "
               "why lessons check claims with bands."),
        Option("The course computes in 32-bit numbers because 16-bit arithmetic is slow on a CPU; on a GPU it "
               "would pick a 16-bit type (자료형)", "cu.get_device() picks the dtype with the device: 16-bit on a "
               "GPU (faster, half the memory), 32-bit on a CPU.", correct=True),
    )),
    Number("SmolLM2-135M has about 135 million parameters. In float32 (4 bytes per number), how many megabytes "
           "(10⁶ bytes) do its weights take?",
           answer=540, tolerance=5,
           why="135 × 10⁶ parameters × 4 bytes = 540 × 10⁶ bytes = 540 MB. On a GPU in 16-bit it would be half.",
           typical={270: "That is 2 bytes per number: the 16-bit dtype a GPU uses. On the CPU it is float32, "
                         "4 bytes.",
                    135: "That is one byte per parameter; float32 numbers take 4 bytes each.",
                    1080: "That is 8 bytes per number (float64); torch's default float is float32, 4 bytes."},
           otherwise="Multiply the number of parameters by 4 bytes, then divide by 10⁶."),
    Choice("The setup cell prints \"seed: 0\". What does the seed (시드) do?", (
        Option("It makes every machine produce exactly the stored numbers",
               "On the same machine and library versions a seed repeats a run; another CPU or torch version can "
               "still compute slightly different numbers."),
        Option("It chooses which model the lesson loads", "The catalog and the mode choose the model; the seed "
               "only concerns random numbers."),
        Option("It makes the models more accurate", "A seed does not improve anything: it fixes which random "
               "draws happen."),
        Option("It sets the starting point of the random number generators, so the same code repeats the same "
               "'random' draws (a new head's weights, sampled text, masks)",
               "Change the seed and you get other draws; keep it and a run repeats (on the same software and "
               "hardware).", correct=True),
    )),
    Choice("A lesson calls cu.load_model(\"sentiment\"). What is \"sentiment\" there?", (
        Option("The name of a model on the Hugging Face Hub",
               "Hub names look like 'organisation/name'; the lessons never use them directly."),
        Option("A role (역할): the catalog says which Hub checkpoint plays it online and which model offline",
               "Online it is cardiffnlp/twitter-roberta-base-sentiment-latest, offline the course's MiniLM "
               "sentiment model; cu.resolve(\"sentiment\") says which, without loading it.", correct=True),
        Option("A pipeline task of transformers", "Each role has a task, but roles are the course's own names: "
               "\"chat\" and \"text-generation\" are two roles with the same task."),
    )),
    Choice("The setup cell has already run (offline). In a new cell you set os.environ[\"COURSE_MODE\"] = "
           "\"online\" and load a model. What happens?", (
        Option("The model comes from the Hub", "The mode was decided once, before transformers was imported, "
               "and the Hugging Face libraries read their offline switch when they load."),
        Option("The notebook switches to online after a 2-second network test",
               "The network test only runs when no rule before it decides, and only when the mode is decided."),
        Option("Nothing changes: the session stays offline; restart the kernel and set COURSE_MODE before "
               "running the setup cell", "The decision is taken once per session, before transformers is "
               "imported (section 4).", correct=True),
    )),
]

EXERCISES = {}
