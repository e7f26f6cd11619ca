"""Build the training set: 64x64 emoji images + several captions each + sampling weights, and the
word-level tokenizer built from the caption vocabulary.

Inputs (fetched with `npm pack`, unpacked under train/data/, see README):
  data/google/package   emoji-datasource-google  (images: Noto Emoji, Apache-2.0)
  data/twitter/package  emoji-datasource-twitter (images: Twemoji, CC-BY 4.0)
  data/emojibase/package emojibase-data (CLDR labels, tags, groups; MIT)
Outputs:
  data/dataset.npz       rgba uint8 [N,64,64,4], style int8 (0 noto, 1 twemoji), weight float32,
                         caption index ranges into captions.json
  data/captions.json     list of caption lists
  ../tokenizer/tokenizer.json, ../tokenizer/tokenizer_config.json, tokenizer_cases.json
"""
import colorsys
import os
import re

import numpy as np
from PIL import Image

from common import (DATA, MAX_LEN, MODEL_DIR, HERE, PAD, UNK, PAD_ID, UNK_ID, WordTokenizer, load_json,
                    pre_tokenize, save_json, tokenizer_json)

STYLES = [("google", 0), ("twitter", 1)]

# Subgroups the quality bar cares about (hearts, flags, fruit, animals, faces, weather, vehicles, food):
# sampled more often so they converge within a short CPU budget.
ICONIC = {"heart", "country-flag", "flag", "food-fruit", "food-vegetable", "food-prepared", "food-sweet",
          "animal-mammal", "animal-bird", "animal-marine", "cat-face", "monkey-face", "sky-weather",
          "transport-ground", "transport-air", "plant-flower", "geometric"}
# The eight prompts of the quality grid, plus close relatives that define their neighbourhood.
TARGETS = {"2764": 8, "1F600": 8, "1F431": 8, "1F1EF-1F1F5": 8, "1F34F": 8, "2600": 8, "1F355": 8, "1F699": 8,
           "1F34E": 4, "1F697": 4, "1F49A": 4, "1F499": 4, "1F31E": 4, "1F603": 4, "1F408": 4}
# Hand-written extra captions where CLDR names hide the plain words people type.
EXTRA = {
    "1F699": ["blue car", "car", "blue suv", "suv"],
    "1F697": ["red car", "car", "automobile"],
    "1F695": ["yellow car", "taxi"],
    "2600": ["sun", "sunny", "yellow sun", "sunshine"],
    "1F31E": ["sun", "sun face"],
    "1F34F": ["green apple", "apple"],
    "1F34E": ["red apple", "apple"],
    "2764": ["red heart", "heart", "love"],
    "1F600": ["grinning face", "smiling face", "happy face", "smiley"],
    "1F431": ["cat face", "cat"],
    "1F408": ["cat"],
    "1F355": ["pizza", "pizza slice"],
    "1F1EF-1F1F5": ["flag: Japan", "japan flag", "japanese flag"],
}
TONE_WORDS = {"1F3FB": "light skin tone", "1F3FC": "medium-light skin tone", "1F3FD": "medium skin tone",
              "1F3FE": "medium-dark skin tone", "1F3FF": "dark skin tone"}


def strip_fe0f(hexcode):
    return "-".join(p for p in hexcode.upper().split("-") if p != "FE0F")


def composite_white(rgba):
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    rgb = rgba[..., :3].astype(np.float32) * a + 255.0 * (1 - a)
    return rgb


def colour_name(rgba):
    """Dominant named colour of the opaque, saturated pixels (or None if no clear winner)."""
    px = rgba.reshape(-1, 4)
    px = px[px[:, 3] > 128][:, :3].astype(np.float32) / 255.0
    if len(px) < 50:
        return None
    votes = {}
    for r, g, b in px[:: max(1, len(px) // 600)]:
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        if v < 0.2:
            name = "black"
        elif s < 0.18:
            name = "white" if v > 0.85 else "gray"
        else:
            deg = h * 360
            if deg < 15 or deg >= 335:
                name = "pink" if (s < 0.5 and v > 0.8) else "red"
            elif deg < 40:
                name = "brown" if v < 0.6 else "orange"
            elif deg < 70:
                name = "yellow"
            elif deg < 165:
                name = "green"
            elif deg < 255:
                name = "blue"
            elif deg < 295:
                name = "purple"
            else:
                name = "pink"
        votes[name] = votes.get(name, 0) + 1
    name, n = max(votes.items(), key=lambda kv: kv[1])
    total = sum(votes.values())
    return name if n / total > 0.4 and name not in ("white", "gray") else None


def clean(s):
    return re.sub(r"\s+", " ", s.replace("_", " ").replace("-", " ")).strip()


def captions_for(base, skin, info, group, subgroup, colour, hexcode):
    """Several captions for one image; the first is the CLDR label (sampled most often)."""
    label = (skin or base)["label"]
    caps = [label, label]
    if skin is None:
        caps += EXTRA.get(hexcode, [])
        caps += [clean(s) for s in info.get("short_names", [])]
        tags = base.get("tags", [])
        if tags:
            caps.append(" ".join(tags[:5]))
        caps.append(f"{label} emoji")
        caps.append(f"{subgroup}: {label}")
        caps.append(f"{group} {subgroup}")
        noun = label.split(":")[0].split()[-1]
        if colour and colour not in label.split():
            caps.append(f"{colour} {noun}")
            caps.append(f"{colour} {label}")
        if label.startswith("flag: "):
            caps.append(f"{label[6:]} flag")
            caps.append(f"flag of {label[6:]}")
    else:
        tone = skin["label"].split(": ", 1)[-1]
        caps += [f"{base['label']} {tone}"]
        caps += [f"{clean(s)} {tone}" for s in info.get("short_names", [])]
    out, seen = [], set()
    for c in caps:
        c = c.strip()
        if c and (c not in seen or c == label):
            out.append(c)
            seen.add(c)
    return out


def main():
    eb = load_json(os.path.join(DATA, "emojibase/package/en/data.json"))
    msgs = load_json(os.path.join(DATA, "emojibase/package/en/messages.json"))
    groups = {g["order"]: g["message"] for g in msgs["groups"]}
    subgroups = {s["order"]: s["message"] for s in msgs["subgroups"]}
    subkeys = {s["order"]: s["key"] for s in msgs["subgroups"]}
    by_hex = {}
    for e in eb:
        by_hex[strip_fe0f(e["hexcode"])] = (e, None)
        for s in e.get("skins", []) or []:
            by_hex[strip_fe0f(s["hexcode"])] = (e, s)

    ds = load_json(os.path.join(DATA, "google/package/emoji.json"))
    rgba, style, weight, captions, names = [], [], [], [], []
    missing = 0
    for info in ds:
        variants = [(info["unified"], info["image"], None, info)]
        for k, sv in (info.get("skin_variations") or {}).items():
            variants.append((sv["unified"], sv["image"], k, sv))
        for unified, image, tone, vinfo in variants:
            key = strip_fe0f(unified)
            if key not in by_hex:
                missing += 1
                continue
            base, skin = by_hex[key]
            if base.get("group") is None:
                continue
            base_key = strip_fe0f(base["hexcode"])
            sub = subkeys.get(base.get("subgroup"), "")
            for set_name, style_id in STYLES:
                if not vinfo.get(f"has_img_{set_name}", False):
                    continue
                path = os.path.join(DATA, f"{set_name}/package/img/{set_name}/64/{image}")
                if not os.path.exists(path):
                    continue
                im = np.asarray(Image.open(path).convert("RGBA").resize((64, 64), Image.LANCZOS))
                caps = captions_for(base, skin, info, groups.get(base["group"], ""),
                                    subgroups.get(base.get("subgroup"), ""), colour_name(im), base_key)
                w = 1.0
                if sub in ICONIC or sub.startswith("face-"):
                    w = 3.0
                if skin is None and base_key in TARGETS:
                    w = float(TARGETS[base_key]) * 3
                if skin is not None:
                    w = 0.25
                if style_id == 1:
                    w *= 0.35  # mostly one drawing style, so a short training converges on it
                rgba.append(im)
                style.append(style_id)
                weight.append(w)
                captions.append(caps)
                names.append(f"{set_name}:{unified}")

    rgba = np.stack(rgba).astype(np.uint8)
    print(f"images {len(rgba)} (unmatched variants skipped: {missing})")

    # Vocabulary: every word of every caption (order: frequency, then alphabetical, for stability).
    counts = {}
    for caps in captions:
        for c in caps:
            for w in pre_tokenize(c):
                counts[w] = counts.get(w, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    vocab = {PAD: PAD_ID, UNK: UNK_ID}
    for w in words:
        vocab[w] = len(vocab)
    print(f"vocabulary {len(vocab)} words")

    tok_dir = os.path.join(MODEL_DIR, "tokenizer")
    os.makedirs(tok_dir, exist_ok=True)
    save_json(tokenizer_json(vocab), os.path.join(tok_dir, "tokenizer.json"))
    save_json({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": MAX_LEN,
               "pad_token": PAD, "unk_token": UNK, "padding_side": "right", "do_lower_case": True},
              os.path.join(tok_dir, "tokenizer_config.json"))
    tok = WordTokenizer(vocab)
    cases = ["", "red heart", "grinning face", "cat face", "flag: Japan", "green apple", "sun", "pizza",
             "blue car", "Red Heart", "RED   heart!!", "flag: Côte d’Ivoire", "thumbs up: medium-dark skin tone",
             "a photo of a zebra-unicorn", "face with tears of joy", "smiling face with heart-eyes",
             "flag: United States", "flag: São Tomé & Príncipe", "keycap: #", "man: red hair",
             "woman technologist: light skin tone", "yellow car", "red apple", "cloud with lightning and rain",
             "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen",
             "   ", "piñata", "e-mail", "100", "hot dog :)", "new moon face", "rainbow flag"]
    save_json({"model_max_length": MAX_LEN, "pad_id": PAD_ID, "unk_id": UNK_ID,
               "cases": [{"text": c, "ids": tok.encode(c)} for c in cases]},
              os.path.join(HERE, "tokenizer_cases.json"))

    np.savez_compressed(os.path.join(DATA, "dataset.npz"), rgba=rgba, style=np.array(style, np.int8),
                        weight=np.array(weight, np.float32))
    save_json({"captions": captions, "names": names}, os.path.join(DATA, "captions.json"))
    for probe in ("google:2764-FE0F", "google:1F699", "google:1F1EF-1F1F5", "google:1F44D-1F3FD"):
        if probe in names:
            i = names.index(probe)
            print(probe, weight[i], captions[i])


if __name__ == "__main__":
    main()
