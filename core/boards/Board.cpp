#include "Board.h"

namespace nesy {

std::string boardKindName(BoardKind k)
{
    switch (k) {
    case BoardKind::Simulated: return "simulated";
    case BoardKind::Emulated: return "emulated";
    case BoardKind::Usb: return "usb";
    }
    return "?";
}

std::string boardStateName(BoardState s)
{
    switch (s) {
    case BoardState::Ready: return "ready";
    case BoardState::Busy: return "busy";
    case BoardState::Unavailable: return "unavailable";
    case BoardState::Faulted: return "faulted";
    case BoardState::Disconnected: return "disconnected";
    }
    return "?";
}

} // namespace nesy
