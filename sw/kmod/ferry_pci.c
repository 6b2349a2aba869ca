// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * ferry_pci: a small Linux kernel driver for a ferry DMA engine on a PCIe
 * card. Compiled in CI (make kmod) against Debian's linux-headers; it has
 * never been loaded here and has not met a card.
 *
 * - BAR0 through pcim_iomap_regions; the ID and IF_VERSION registers are
 *   checked, the DMA mask follows CAP0.ADDR_WIDTH.
 * - Probe first clears bus mastering (a previous owner may have left it on),
 *   then stops every channel that runs or has a ring and resets each
 *   (ferry_pci_stop()), and sets bus mastering only after that. A channel
 *   that does not stop fails the probe with bus mastering off.
 * - One 4 MiB dma_alloc_coherent buffer per card, mmap()able by userspace.
 * - Interrupts: pci_alloc_irq_vectors (MSI-X, MSI or INTx), up to one vector
 *   per channel; the handler reads IRQ_STATUS, clears DONE/ERROR of each
 *   flagged channel (w1c drops the line) and wakes the waiter.
 * - A misc char device /dev/ferryN with FERRY_PCI_IOC_INFO and
 *   FERRY_PCI_IOC_COPY (ferry_pci_uapi.h): one direct-mode copy inside the
 *   buffer, waiting on the channel's interrupt with a timeout.
 *
 * No PCI IDs are built in (a ferry bitstream chooses its own): bind with
 *   echo VVVV DDDD > /sys/bus/pci/drivers/ferry_pci/new_id
 *
 * Unbind (sysfs unbind, PCI remove, hot-unplug) with /dev/ferryN open or
 * its buffer mapped: remove() deregisters the device node, marks the card
 * gone, wakes a waiting copy and takes the copy lock, stops and resets
 * every channel as probe does (ferry_pci_stop()), clears bus mastering
 * (also when a channel did not stop) and frees the interrupts. A file
 * still open then gets -ENODEV from every ioctl and from mmap. The struct
 * is freed at the last close; the buffer when remove() ends, or at the
 * last munmap if still mapped (dma_free_coherent on the pci_dev held by
 * pci_dev_get). A buffer mapped
 * through a hot-unplug is so freed after the device has left its IOMMU
 * group, which is not safe with an IOMMU: unmap before a hot-unplug.
 * Compiled only: none of this has run on a card.
 *
 * Licence: GPL-2.0-only OR Apache-2.0, so the kernel loads it untainted.
 */
#include <linux/bitops.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "ferry_pci_regs.h"
#include "ferry_pci_uapi.h"

#define FERRY_PCI_NAME "ferry_pci"
#define FERRY_PCI_DEFAULT_TIMEOUT_MS 1000U
#define FERRY_PCI_STOP_TIMEOUT_US 100000U /* ferry_pci_stop(): per channel and step */

/*
 * Two lifetimes: f (ref: the probe and each open file) and the DMA buffer
 * (buf_ref: the probe and each mapping). devres drops the probe's two after
 * remove(); each is freed then, or at the last close (f) or munmap (buffer).
 */
struct ferry_pci {
	struct kref ref;
	struct kref buf_ref;
	struct pci_dev *pdev;       /* pci_dev_get(): the buffer may be freed after remove() */
	void __iomem *bar;
	struct miscdevice misc;
	char name[16];
	int id;
	u32 caps[4]; /* ID, IF_VERSION, CAP0, CAP1 */
	unsigned int channels;
	int nvec;
	void *buf;
	dma_addr_t buf_bus;
	struct mutex lock;          /* one ioctl copy at a time; remove() takes it to stop the channels */
	bool gone;                  /* remove() has begun: file operations return -ENODEV */
	spinlock_t irq_lock;        /* IRQ_STATUS / STATUS handling across vectors */
	wait_queue_head_t wq;
	unsigned long done;         /* bit ch: the interrupt reported channel ch */
	u32 status[FERRY_PCI_MAX_CHANNELS];
};

static DEFINE_IDA(ferry_pci_ida);

static void ferry_pci_free(struct kref *ref)
{
	struct ferry_pci *f = container_of(ref, struct ferry_pci, ref);

	pci_dev_put(f->pdev);
	kfree(f);
}

/* The last holder of buf_ref: remove() with nothing mapped, else the last munmap. */
static void ferry_pci_free_buf(struct kref *ref)
{
	struct ferry_pci *f = container_of(ref, struct ferry_pci, buf_ref);

	dma_free_coherent(&f->pdev->dev, FERRY_PCI_BUF_SIZE, f->buf, f->buf_bus);
	f->buf = NULL;
}

/* devres actions: drop the probe's references (after remove(), or on a failed probe) */
static void ferry_pci_put(void *data)
{
	struct ferry_pci *f = data;

	kref_put(&f->ref, ferry_pci_free);
}

static void ferry_pci_put_buf(void *data)
{
	struct ferry_pci *f = data;

	kref_put(&f->buf_ref, ferry_pci_free_buf);
}

static u32 rd(struct ferry_pci *f, u32 off)
{
	return ioread32(f->bar + off);
}

static void wr(struct ferry_pci *f, u32 off, u32 v)
{
	iowrite32(v, f->bar + off);
}

static irqreturn_t ferry_pci_irq(int irq, void *data)
{
	struct ferry_pci *f = data;
	unsigned long flags;
	u32 raw, pending;
	unsigned int ch;

	spin_lock_irqsave(&f->irq_lock, flags);
	raw = rd(f, FERRY_PCI_REG_IRQ_STATUS);
	pending = raw & (u32)(BIT(f->channels) - 1U);
	if (pending == 0U || raw == 0xFFFFFFFFU) { /* not ours, or the card is gone */
		spin_unlock_irqrestore(&f->irq_lock, flags);
		return IRQ_NONE;
	}
	for (ch = 0; ch < f->channels; ch++) {
		u32 s;

		if ((pending & BIT(ch)) == 0U)
			continue;
		s = rd(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_STATUS));
		/* w1c: the line drops; the waiter gets the value */
		wr(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_STATUS),
		   s & (FERRY_PCI_STATUS_DONE | FERRY_PCI_STATUS_ERROR | FERRY_PCI_STATUS_DB_OVERRUN));
		f->status[ch] = s;
		set_bit(ch, &f->done);
	}
	spin_unlock_irqrestore(&f->irq_lock, flags);
	wake_up_all(&f->wq);
	return IRQ_HANDLED;
}

static long ferry_pci_copy(struct ferry_pci *f, struct ferry_pci_copy *c)
{
	const u64 size = FERRY_PCI_BUF_SIZE;
	u64 src, dst;
	long left;
	u32 s;

	if (c->ch >= f->channels || c->len == 0U || c->len > size || c->src_off > size - c->len ||
	    c->dst_off > size - c->len)
		return -EINVAL;
	src = (u64)f->buf_bus + c->src_off;
	dst = (u64)f->buf_bus + c->dst_off;

	s = rd(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_STATUS));
	if (s == 0xFFFFFFFFU)
		return -ENODEV; /* all ones: the card is gone */
	if (s & FERRY_PCI_STATUS_BUSY)
		return -EBUSY;
	clear_bit(c->ch, &f->done);
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_STATUS),
	   FERRY_PCI_STATUS_DONE | FERRY_PCI_STATUS_ERROR | FERRY_PCI_STATUS_DB_OVERRUN);
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_IRQ_ENABLE),
	   FERRY_PCI_IRQ_ENABLE_DONE | FERRY_PCI_IRQ_ENABLE_ERROR);
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_SRC_LO), lower_32_bits(src));
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_SRC_HI), upper_32_bits(src));
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_DST_LO), lower_32_bits(dst));
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_DST_HI), upper_32_bits(dst));
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_LEN), c->len);
	/* iowrite32 orders the buffer stores before it: the doorbell comes last */
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_CTRL), FERRY_PCI_CTRL_START);

	left = wait_event_interruptible_timeout(
		f->wq, test_bit(c->ch, &f->done) || READ_ONCE(f->gone),
		msecs_to_jiffies(c->timeout_ms != 0U ? c->timeout_ms : FERRY_PCI_DEFAULT_TIMEOUT_MS));
	if (!test_bit(c->ch, &f->done) && READ_ONCE(f->gone))
		return -ENODEV; /* remove() waits for the lock, then aborts the copy */
	wr(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_IRQ_ENABLE), 0);
	if (left == 0) {
		c->status = rd(f, FERRY_PCI_CH_REG(c->ch, FERRY_PCI_CH_STATUS));
		return -ETIMEDOUT; /* the copy may still run */
	}
	if (left < 0)
		return left; /* a signal; the copy may still run */
	c->status = f->status[c->ch];
	return (c->status & FERRY_PCI_STATUS_ERROR) ? -EIO : 0;
}

static long ferry_pci_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ferry_pci *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case FERRY_PCI_IOC_INFO: {
		struct ferry_pci_info info;

		if (READ_ONCE(f->gone))
			return -ENODEV;
		memset(&info, 0, sizeof(info));
		info.id = f->caps[0];
		info.if_version = f->caps[1];
		info.cap0 = f->caps[2];
		info.cap1 = f->caps[3];
		info.channels = f->channels;
		info.irq_vectors = (u32)f->nvec;
		info.buf_bus = f->buf_bus;
		info.buf_size = FERRY_PCI_BUF_SIZE;
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case FERRY_PCI_IOC_COPY: {
		struct ferry_pci_copy c;
		long ret;

		if (copy_from_user(&c, uarg, sizeof(c)))
			return -EFAULT;
		if (mutex_lock_interruptible(&f->lock))
			return -ERESTARTSYS;
		/* under the lock: remove() either waits for this copy or has stopped the card */
		ret = READ_ONCE(f->gone) ? -ENODEV : ferry_pci_copy(f, &c);
		mutex_unlock(&f->lock);
		if (ret != -EINVAL && copy_to_user(uarg, &c, sizeof(c)))
			return -EFAULT;
		return ret;
	}
	default:
		return -ENOTTY;
	}
}

/* Each mapping holds buf_ref: a fork or a split takes one more, each unmap drops one. */
static void ferry_pci_vm_open(struct vm_area_struct *vma)
{
	struct ferry_pci *f = vma->vm_private_data;

	kref_get(&f->buf_ref);
}

static void ferry_pci_vm_close(struct vm_area_struct *vma)
{
	struct ferry_pci *f = vma->vm_private_data;

	kref_put(&f->buf_ref, ferry_pci_free_buf);
}

static const struct vm_operations_struct ferry_pci_vm_ops = {
	.open = ferry_pci_vm_open,
	.close = ferry_pci_vm_close,
};

static int ferry_pci_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ferry_pci *f = file->private_data;
	int ret;

	if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start > FERRY_PCI_BUF_SIZE)
		return -EINVAL;
	/* the buffer may already be freed if remove() ran since the gone test */
	if (READ_ONCE(f->gone) || !kref_get_unless_zero(&f->buf_ref))
		return -ENODEV;
	ret = dma_mmap_coherent(&f->pdev->dev, vma, f->buf, f->buf_bus, vma->vm_end - vma->vm_start);
	if (ret) {
		kref_put(&f->buf_ref, ferry_pci_free_buf);
		return ret;
	}
	vma->vm_ops = &ferry_pci_vm_ops;
	vma->vm_private_data = f;
	return 0;
}

static int ferry_pci_open(struct inode *inode, struct file *file)
{
	/* misc_open() holds misc_mtx, so remove() has not passed misc_deregister() */
	struct ferry_pci *f = container_of(file->private_data, struct ferry_pci, misc);

	kref_get(&f->ref);
	file->private_data = f;
	return 0;
}

static int ferry_pci_release(struct inode *inode, struct file *file)
{
	struct ferry_pci *f = file->private_data;

	kref_put(&f->ref, ferry_pci_free);
	return 0;
}

static const struct file_operations ferry_pci_fops = {
	.owner = THIS_MODULE,
	.open = ferry_pci_open,
	.release = ferry_pci_release,
	.unlocked_ioctl = ferry_pci_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = ferry_pci_mmap,
};

/* Up to FERRY_PCI_STOP_TIMEOUT_US for STATUS BUSY = 0 and RING_ACTIVE = 0 (all ones: gone). */
static int ferry_pci_wait_idle(struct ferry_pci *f, unsigned int ch, u32 *s)
{
	return read_poll_timeout(ioread32, *s,
				 *s == 0xFFFFFFFFU ||
				 !(*s & (FERRY_PCI_STATUS_BUSY | FERRY_PCI_STATUS_RING_ACTIVE)),
				 10, FERRY_PCI_STOP_TIMEOUT_US, false,
				 f->bar + FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_STATUS));
}

/*
 * Stops every channel and puts it back to its reset state; probe (a previous
 * owner may have left channels running) and remove() call it.
 * 1. Each channel: IRQ_ENABLE = 0, RING_CTRL = 0 where RING_ACTIVE,
 *    CTRL.ABORT where BUSY: ferry_stop_channels() in sw/lib, every channel
 *    told before any is waited for.
 * 2. Each channel: up to FERRY_PCI_STOP_TIMEOUT_US for BUSY = 0 and
 *    RING_ACTIVE = 0, then CTRL.RESET (ferry_ch_reset(): DONE, ERROR,
 *    ERR_*, the ring and the other registers back to reset, locked windows
 *    excepted) and the same wait again.
 * Returns 0; -ENODEV if a STATUS reads all ones (the card is gone); -EBUSY
 * if a channel did not get idle, each logged by number: a bus that never
 * answers keeps it STOPPING and BUSY until a bus reset (docs/errors.md), so
 * it may still do DMA and the caller keeps bus mastering off.
 */
static int ferry_pci_stop(struct ferry_pci *f)
{
	unsigned int ch;
	int ret = 0;
	u32 s;

	for (ch = 0; ch < f->channels; ch++) {
		wr(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_IRQ_ENABLE), 0);
		s = rd(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_STATUS));
		if (s == 0xFFFFFFFFU)
			return -ENODEV;
		if (s & FERRY_PCI_STATUS_RING_ACTIVE)
			wr(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_RING_CTRL), 0);
		if (s & FERRY_PCI_STATUS_BUSY)
			wr(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_CTRL), FERRY_PCI_CTRL_ABORT);
	}
	for (ch = 0; ch < f->channels; ch++) {
		const char *step = "RING_CTRL = 0 and ABORT";
		int err = ferry_pci_wait_idle(f, ch, &s);

		if (err == 0 && s != 0xFFFFFFFFU) {
			wr(f, FERRY_PCI_CH_REG(ch, FERRY_PCI_CH_CTRL), FERRY_PCI_CTRL_RESET);
			step = "CTRL.RESET";
			err = ferry_pci_wait_idle(f, ch, &s);
		}
		if (s == 0xFFFFFFFFU)
			return -ENODEV;
		if (err) {
			dev_err(&f->pdev->dev, "channel %u not idle %u ms after %s: STATUS 0x%08x\n", ch,
				FERRY_PCI_STOP_TIMEOUT_US / 1000U, step, s);
			ret = -EBUSY;
		}
	}
	return ret;
}

static int ferry_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct ferry_pci *f;
	unsigned int aw, i;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	kref_init(&f->ref);
	f->pdev = pci_dev_get(pdev);
	mutex_init(&f->lock);
	spin_lock_init(&f->irq_lock);
	init_waitqueue_head(&f->wq);
	/* first in, so devres drops it last: after the IRQs, the buffer and BAR0 */
	ret = devm_add_action_or_reset(dev, ferry_pci_put, f);
	if (ret)
		return ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the device\n");
	/*
	 * The command register outlives a previous owner (a VFIO or --uio
	 * process, a module instance that died): bus mastering may still be on
	 * with a channel running into memory that is no longer its own. Off
	 * until ferry_pci_stop() below has stopped every channel.
	 */
	pci_clear_master(pdev);
	if (pci_resource_len(pdev, 0) < FERRY_PCI_BAR_SIZE || !(pci_resource_flags(pdev, 0) & IORESOURCE_MEM))
		return dev_err_probe(dev, -ENODEV, "BAR0 is missing or smaller than %u bytes\n", FERRY_PCI_BAR_SIZE);
	ret = pcim_iomap_regions(pdev, BIT(0), FERRY_PCI_NAME);
	if (ret)
		return dev_err_probe(dev, ret, "cannot map BAR0\n");
	f->bar = pcim_iomap_table(pdev)[0];

	f->caps[0] = rd(f, FERRY_PCI_REG_ID);
	if (f->caps[0] != FERRY_PCI_MAGIC)
		return dev_err_probe(dev, -ENODEV, "ID reads 0x%08x, not \"FRRY\"%s\n", f->caps[0],
				     f->caps[0] == 0xFFFFFFFFU ? " (all ones: the card does not answer)" : "");
	f->caps[1] = rd(f, FERRY_PCI_REG_IF_VERSION);
	if ((f->caps[1] >> FERRY_PCI_IF_VERSION_MAJOR_SHIFT) != FERRY_PCI_IF_MAJOR)
		return dev_err_probe(dev, -ENODEV, "interface version %u.%u, driver speaks %u.x\n",
				     f->caps[1] >> FERRY_PCI_IF_VERSION_MAJOR_SHIFT,
				     f->caps[1] & FERRY_PCI_IF_VERSION_MINOR_MASK, FERRY_PCI_IF_MAJOR);
	f->caps[2] = rd(f, FERRY_PCI_REG_CAP0);
	f->caps[3] = rd(f, FERRY_PCI_REG_CAP1);
	f->channels = f->caps[2] & FERRY_PCI_CAP0_CHANNELS_MASK;
	aw = (f->caps[2] & FERRY_PCI_CAP0_ADDR_WIDTH_MASK) >> FERRY_PCI_CAP0_ADDR_WIDTH_SHIFT;
	if (f->channels < 1U || f->channels > FERRY_PCI_MAX_CHANNELS || aw < 32U || aw > 64U)
		return dev_err_probe(dev, -ENODEV, "capabilities out of range: CAP0 0x%08x\n", f->caps[2]);
	ret = ferry_pci_stop(f);
	if (ret)
		return dev_err_probe(dev, ret, "%s: bus mastering stays off\n",
				     ret == -ENODEV ? "a channel STATUS reads all ones"
						    : "channels left running did not stop (reset the card)");

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(aw));
	if (ret)
		return dev_err_probe(dev, ret, "no usable %u-bit DMA mask\n", aw);
	pci_set_master(pdev);
	f->buf = dma_alloc_coherent(dev, FERRY_PCI_BUF_SIZE, &f->buf_bus, GFP_KERNEL);
	if (!f->buf)
		return dev_err_probe(dev, -ENOMEM, "cannot allocate the %u-byte DMA buffer\n", FERRY_PCI_BUF_SIZE);
	kref_init(&f->buf_ref);
	ret = devm_add_action_or_reset(dev, ferry_pci_put_buf, f);
	if (ret)
		return ret;

	f->nvec = pci_alloc_irq_vectors(pdev, 1, f->channels, PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (f->nvec < 0)
		return dev_err_probe(dev, f->nvec, "no interrupt vectors\n");
	for (i = 0; i < (unsigned int)f->nvec; i++) {
		ret = devm_request_irq(dev, pci_irq_vector(pdev, i), ferry_pci_irq,
				       pdev->msi_enabled || pdev->msix_enabled ? 0 : IRQF_SHARED,
				       FERRY_PCI_NAME, f);
		if (ret)
			return dev_err_probe(dev, ret, "cannot request vector %u\n", i);
	}

	f->id = ida_alloc(&ferry_pci_ida, GFP_KERNEL);
	if (f->id < 0)
		return f->id;
	snprintf(f->name, sizeof(f->name), "ferry%d", f->id);
	f->misc.minor = MISC_DYNAMIC_MINOR;
	f->misc.name = f->name;
	f->misc.fops = &ferry_pci_fops;
	f->misc.parent = dev;
	ret = misc_register(&f->misc);
	if (ret) {
		ida_free(&ferry_pci_ida, f->id);
		return dev_err_probe(dev, ret, "cannot register /dev/%s\n", f->name);
	}
	pci_set_drvdata(pdev, f);
	dev_info(dev, "/dev/%s: ferry %u.%u, %u channels, %u-bit addresses, %d %s vector%s\n", f->name,
		 f->caps[1] >> FERRY_PCI_IF_VERSION_MAJOR_SHIFT, f->caps[1] & FERRY_PCI_IF_VERSION_MINOR_MASK,
		 f->channels, aw, f->nvec,
		 pdev->msix_enabled ? "MSI-X" : pdev->msi_enabled ? "MSI" : "INTx", f->nvec == 1 ? "" : "s");
	return 0;
}

static void ferry_pci_remove(struct pci_dev *pdev)
{
	struct ferry_pci *f = pci_get_drvdata(pdev);
	unsigned int i;

	misc_deregister(&f->misc); /* no new open; open files keep f */
	WRITE_ONCE(f->gone, true);
	wake_up_all(&f->wq);       /* a copy waiting returns -ENODEV and drops the lock */
	mutex_lock(&f->lock);
	ferry_pci_stop(f);         /* with the buffer still ours; logs a channel that does not stop */
	pci_clear_master(pdev);
	for (i = 0; i < (unsigned int)f->nvec; i++)
		devm_free_irq(&pdev->dev, pci_irq_vector(pdev, i), f);
	pci_free_irq_vectors(pdev);
	mutex_unlock(&f->lock);
	ida_free(&ferry_pci_ida, f->id);
	/* devres then drops the probe's buf_ref and ref: see struct ferry_pci */
}

/* No built-in IDs: bind through new_id or driver_override. */
static const struct pci_device_id ferry_pci_ids[] = {
	{ 0, }
};

static struct pci_driver ferry_pci_driver = {
	.name = FERRY_PCI_NAME,
	.id_table = ferry_pci_ids,
	.probe = ferry_pci_probe,
	.remove = ferry_pci_remove,
};
module_pci_driver(ferry_pci_driver);

MODULE_DESCRIPTION("ferry DMA engine: BAR0, coherent buffer, MSI, /dev/ferryN");
MODULE_LICENSE("GPL"); /* GPL-2.0-only OR Apache-2.0: "GPL" is the kernel's tag for GPLv2 */
