"""Rule packs (cited, versioned data) and the factor library."""

from tanjiliang.rules.factors import FactorLibrary, Material, bundled_library
from tanjiliang.rules.load import DEFAULT_PACK, LoadedPack, bundled_pack_names, load_pack
from tanjiliang.rules.schema import Pack

__all__ = ["DEFAULT_PACK", "FactorLibrary", "LoadedPack", "Material", "Pack", "bundled_library",
           "bundled_pack_names", "load_pack"]
