/*
 * platform.h - a QEMU machine type as the kernel meets it: what its
 * firmware hands the kernel (the boot memory map, reserved and NOMAP
 * ranges, the NUMA description, the device-memory area for DIMMs) and
 * how memory reaches the guest later (ACPI, pseries DLPAR, none).
 *
 * Contract: one `struct platform` per machine type, one file each under
 * src/platform/; platform_find() picks it by the architecture profile's
 * machine name (src/arch/geometry.c). machine_boot() calls the boot
 * hooks in this order: memory_map, device_memory, numa_init,
 * reserve_early; the DIMM hooks run at device_add/device_del. Every hook
 * returns 0 or -errno and, on a refusal, a message in err naming the
 * option or device. A new platform is one new file plus its entry in
 * platform.c.
 * Expected workload: a few calls per boot and per DIMM.
 */
#ifndef HOTMEM_PLATFORM_H
#define HOTMEM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mm/memblock.h"

struct hotmem_machine;
struct hotmem_config;
struct acpi_memory_device;

struct platform {
	const char *family;	/* the profiles' family it serves: "x86_64", "ppc64", ... */
	const char *machine;	/* QEMU's -M name */
	const char *firmware;	/* what boots the kernel, for messages */
	/* boot RAM into memblock per node; firmware ranges into iomem */
	int (*memory_map)(struct hotmem_machine *m, char *err, size_t errlen);
	/* QEMU's device-memory region for DIMMs (base, size), or none */
	int (*device_memory)(struct hotmem_machine *m, char *err, size_t errlen);
	/* which nodes the kernel has (node_possible_map) */
	int (*numa_init)(struct hotmem_machine *m, char *err, size_t errlen);
	/* the arch's own early reservations (x86: the first MiB); may be NULL */
	int (*reserve_early)(struct hotmem_machine *m);
	/*
	 * The boot memmap's placement and the reservations the arch makes
	 * right after it (arm64 bootmem_init: sparse_init's buffer, then the
	 * CMA area); NULL: each node's memmap top-down in its memory.
	 */
	int (*bootmem_init)(struct hotmem_machine *m);
	/* the arch's mem_init(): its boot allocations made after the
	 * generic ones (x86: the swiotlb); may be NULL */
	int (*mem_init)(struct hotmem_machine *m);
	/* ranges reserved while booting and freed before user space runs
	 * (the initrd, the kernel's init sections); may be NULL */
	void (*free_initmem)(struct hotmem_machine *m);
	/*
	 * The model inputs (docs/model-inputs.md) measured on this
	 * machine's real guest of m's profile, for a scenario that gives
	 * none: boot_reserved_kb, boot_used_kb. May be NULL (the defaults).
	 */
	void (*boot_inputs)(const struct hotmem_machine *m, uint64_t *reserved_kb,
			    uint64_t *used_kb);
	/* QEMU's checks of a pc-dimm beyond the generic ones; may be NULL */
	int (*dimm_check)(const struct hotmem_machine *m, uint64_t size,
			  char *err, size_t errlen);
	/* a plugged DIMM reaches the kernel (ACPI, DLPAR) */
	int (*dimm_plug)(struct hotmem_machine *m, struct acpi_memory_device *dev);
	/* the host asks for the DIMM back; 0 once the guest let it go */
	int (*dimm_unplug)(struct hotmem_machine *m, struct acpi_memory_device *dev,
			   char *err, size_t errlen);
};

/* The platform of an architecture family (arch_profile.family), or NULL. */
const struct platform *platform_find(const char *family);

extern const struct platform platform_q35;
extern const struct platform platform_pseries;
extern const struct platform platform_virt_arm64;
extern const struct platform platform_s390_ccw;
extern const struct platform platform_riscv_virt;
/* an imported real machine (snapshot.c): chosen by the import, not by arch */
extern const struct platform platform_snapshot;

/* Shared by the platforms whose boot RAM is one range from the profile's
 * ram_base, split between the nodes in node order (platform.c). */
int flat_ram_memory_map(struct hotmem_machine *m, char *err, size_t errlen);
/* QEMU's limit of memory slots on ACPI machines (ACPI_MAX_RAM_SLOTS) */
#define QEMU_ACPI_MAX_RAM_SLOTS 256
/* QEMU's device-memory region at base (platform.c); refusals in err */
int qemu_device_memory_region(struct hotmem_machine *m, uint64_t base,
			      unsigned int max_slots, char *err, size_t errlen);
/* QEMU's virt-style DIMM area: from the end of RAM rounded up to 1 GiB,
 * maxmem - mem plus 1 GiB per slot (hw/mem/memory-device.c). */
int virt_device_memory(struct hotmem_machine *m, char *err, size_t errlen);
/* Every node QEMU has is possible (no SRAT in the model). */
int all_nodes_possible(struct hotmem_machine *m, char *err, size_t errlen);
/* The ACPI memory device driver as the DIMM path (drivers/acpi). */
int acpi_dimm_plug(struct hotmem_machine *m, struct acpi_memory_device *dev);
int acpi_dimm_unplug(struct hotmem_machine *m, struct acpi_memory_device *dev,
		     char *err, size_t errlen);

/* pseries: the memory block size the kernel probes from QEMU's device
 * tree (pseries.c) */
uint64_t pseries_memory_block_size(const struct hotmem_machine *m);
/*
 * s390: does the machine's CPU have EDAT-1 and EDAT-2 (1M and 2G
 * pages)? QEMU's TCG CPU (-cpu max, the qemu backend's guest) has
 * neither; a machine with standby memory is a real z host (QEMU has no
 * standby memory), where every model since z10/zEC12 has both.
 */
bool s390_has_edat(const struct hotmem_machine *m);

/*
 * x86 direct_gbpages: does the CPU have 1 GiB pages (pdpe1gb)? QEMU's
 * max does, qemu64 (machine cpu=qemu64) not: then the direct map and
 * device-dax stop at 2 MiB pages and meminfo has no DirectMap1G line.
 */
bool x86_direct_gbpages(const struct hotmem_machine *m);

/* e820 sanitising of memmap=SIZE!START ranges (q35.c; x86 command line) */
void e820_pram_sanitize(struct hotmem_config *c);

#endif
