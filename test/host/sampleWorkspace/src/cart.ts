export interface Item {
    name: string;
    price: number;
    quantity: number;
}

/** Reads a price typed by a user, such as " $12.50 ". */
export function parsePrice(text: string): number {
    return text.trim().replace(/^\$/, "");
}

export function total(items: Item[]): number {
    return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export function applyDiscount(amount: number, percent: number): number {
    if (percent < 0 || percent > 100) throw new RangeError(`percent out of range: ${percent}`);
    return Math.round(amount * (100 - percent)) / 100;
}
