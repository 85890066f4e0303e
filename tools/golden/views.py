"""Golden geometry (sizes, strides, storage offset) and values of view ops, contiguous and on
non-contiguous bases. Writes tests/golden/views.json."""
import torch

from common import tensor_json, write_fixture


def geometry(t):
    return {"sizes": list(t.shape), "strides": list(t.stride()), "offset": t.storage_offset(),
            "contiguous": t.is_contiguous(), "values": tensor_json(t)}


def run(fn):
    try:
        r = fn()
        if isinstance(r, (list, tuple)):
            return {"results": [geometry(x) for x in r]}
        return {"result": geometry(r)}
    except (RuntimeError, ValueError, IndexError) as e:
        return {"error": str(e).split("\n")[0]}


# Each case: a name, the base ("contiguous": arange(24).reshape(2,3,4); "transposed": its
# transpose(0, 2); "sliced": arange(48).reshape(4,3,4)[::2]) and the view to apply.
BASES = {
    "contiguous": lambda: torch.arange(24.).reshape(2, 3, 4),
    "transposed": lambda: torch.arange(24.).reshape(2, 3, 4).transpose(0, 2),
    "sliced": lambda: torch.arange(48.).reshape(4, 3, 4)[::2],
}
VIEWS = {
    "view_6_4": lambda t: t.view(6, 4),
    "view_-1": lambda t: t.view(-1),
    "reshape_4_6": lambda t: t.reshape(4, 6),
    "reshape_-1_2": lambda t: t.reshape(-1, 2),
    "flatten": lambda t: t.flatten(),
    "flatten_1": lambda t: t.flatten(1),
    "flatten_0_1": lambda t: t.flatten(0, 1),
    "unflatten_2": lambda t: t.unflatten(2, (2, -1)),
    "squeeze": lambda t: t.unsqueeze(1).squeeze(),
    "squeeze_1": lambda t: t.unsqueeze(1).squeeze(1),
    "squeeze_0_noop": lambda t: t.squeeze(0),
    "unsqueeze_0": lambda t: t.unsqueeze(0),
    "unsqueeze_-1": lambda t: t.unsqueeze(-1),
    "transpose_0_1": lambda t: t.transpose(0, 1),
    "mT": lambda t: t.mT,
    "permute_2_0_1": lambda t: t.permute(2, 0, 1),
    "narrow_2_1_2": lambda t: t.narrow(2, 1, 2),
    "narrow_-1_-2_2": lambda t: t.narrow(-1, -2, 2),
    "select_1_-1": lambda t: t.select(1, -1),
    "expand": lambda t: t[:, :1].expand(-1, 5, -1),
    "diagonal": lambda t: t.diagonal(),
    "diagonal_1_1_2": lambda t: t.diagonal(1, 1, 2),
    "diagonal_-1_0_2": lambda t: t.diagonal(-1, 0, 2),
    "as_strided": lambda t: t.as_strided((3, 2), (1, 2), 1),
    "split_2_-1": lambda t: t.split(3, -1),
    "split_sizes": lambda t: t.split([1, 3], -1),
    "chunk_3_-1": lambda t: t.chunk(3, -1),
    "chunk_5_0": lambda t: t.chunk(5, 0),
    "unbind_1": lambda t: t.unbind(1),
    "t_of_2d": lambda t: t[0].t(),
}


def main():
    cases = []
    for base_name, base in BASES.items():
        for view_name, view in VIEWS.items():
            cases.append({"base": base_name, "view": view_name, **run(lambda: view(base()))})
    write_fixture("views", __file__, {"cases": cases})


if __name__ == "__main__":
    main()
