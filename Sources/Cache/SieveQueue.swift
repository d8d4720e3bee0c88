/// The eviction order of the L1: SIEVE (Zhang et al., NSDI '24). New entries
/// enter at the head; a hit only sets a flag, so reads never reorder anything
/// (cheaper under a lock than LRU's move-to-front); the hand walks from the
/// tail towards the head, clearing flags and evicting the first entry not
/// visited since the hand last passed. One-hit wonders leave quickly and
/// popular entries stay; its authors report hit ratios at or above LRU's on
/// most of the web cache traces they replayed.
///
/// Nodes live in one array and link by index, so entries cost no allocation
/// of their own; freed slots are reused.
struct SieveQueue<Element> {
    private struct Node {
        var element: Element?
        var visited = false
        /// Towards the head (newer).
        var newer: Int32 = -1
        /// Towards the tail (older).
        var older: Int32 = -1
    }

    private var nodes: [Node] = []
    private var free: [Int32] = []
    private var head: Int32 = -1
    private var tail: Int32 = -1
    private var hand: Int32 = -1
    private(set) var count = 0

    subscript(slot: Int32) -> Element {
        get { nodes[Int(slot)].element! }
        _modify { yield &nodes[Int(slot)].element! }
    }

    /// Adds `element` at the head and returns its slot.
    mutating func insert(_ element: Element) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            nodes[Int(slot)] = Node(element: element)
        } else {
            slot = Int32(nodes.count)
            nodes.append(Node(element: element))
        }
        nodes[Int(slot)].older = head
        if head >= 0 { nodes[Int(head)].newer = slot }
        head = slot
        if tail < 0 { tail = slot }
        count += 1
        return slot
    }

    mutating func markVisited(_ slot: Int32) {
        nodes[Int(slot)].visited = true
    }

    /// Unlinks `slot` and returns what it held.
    @discardableResult
    mutating func remove(_ slot: Int32) -> Element {
        let node = nodes[Int(slot)]
        if hand == slot { hand = node.newer }
        if node.newer >= 0 { nodes[Int(node.newer)].older = node.older } else { head = node.older }
        if node.older >= 0 { nodes[Int(node.older)].newer = node.newer } else { tail = node.newer }
        nodes[Int(slot)] = Node()
        free.append(slot)
        count -= 1
        return node.element!
    }

    /// The slot SIEVE evicts next (clearing visited flags on the way), or nil when empty.
    mutating func victim() -> Int32? {
        guard count > 0 else { return nil }
        var slot = hand >= 0 ? hand : tail
        while nodes[Int(slot)].visited {
            nodes[Int(slot)].visited = false
            slot = nodes[Int(slot)].newer >= 0 ? nodes[Int(slot)].newer : tail
        }
        hand = nodes[Int(slot)].newer
        return slot
    }

    mutating func removeAll() {
        self = SieveQueue()
    }
}
