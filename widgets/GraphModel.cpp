#include "GraphModel.h"

namespace nesy::gui {

QString qstr(const std::string& s) { return QString::fromStdString(s); }
std::string sstr(const QString& s) { return s.toStdString(); }

GraphModel::GraphModel(BlockRegistry registry, QObject* parent) : QObject(parent), registry_(std::move(registry))
{
    problems_ = validate(project_.graph, registry_);
}

const BlockType* GraphModel::typeOf(const std::string& blockId) const
{
    const Block* b = graph().block(blockId);
    return b ? registry_.find(b->type) : nullptr;
}

std::vector<Problem> GraphModel::problemsOf(const std::string& blockId) const
{
    std::vector<Problem> mine;
    for (const auto& p : problems_)
        if (p.block == blockId)
            mine.push_back(p);
    return mine;
}

const Value* GraphModel::shownValue(const std::string& block, const std::string& param) const
{
    if (!shownTrial_)
        return nullptr;
    auto it = shownTrial_->values.find(block + "." + param);
    return it == shownTrial_->values.end() ? nullptr : &it->second;
}

void GraphModel::showTrial(ShownTrial trial)
{
    shownTrial_ = std::move(trial);
    emit shownTrialChanged();
}

void GraphModel::showProject() { endOverlay(); }

void GraphModel::endOverlay()
{
    if (!shownTrial_)
        return;
    shownTrial_.reset();
    emit shownTrialChanged();
}

void GraphModel::setProject(Project project)
{
    endOverlay();
    project_ = std::move(project);
    problems_ = validate(project_.graph, registry_);
    emit projectReset();
    emit problemsChanged();
    emit changed();
}

void GraphModel::afterEdit()
{
    endOverlay();
    auto now = validate(project_.graph, registry_);
    bool differ = now.size() != problems_.size();
    for (std::size_t i = 0; !differ && i < now.size(); ++i)
        differ = now[i].message != problems_[i].message || now[i].jsonPath != problems_[i].jsonPath;
    problems_ = std::move(now);
    if (differ)
        emit problemsChanged();
    emit changed();
}

void GraphModel::insertBlock(const Block& block, int index)
{
    project_.graph.addBlock(block, index);
    emit blockAdded(qstr(block.id));
    afterEdit();
}

void GraphModel::removeBlock(const std::string& id)
{
    if (!project_.graph.connectionsInto(id).empty() || !project_.graph.connectionsFrom(id).empty())
        throw GraphError("block \"" + id + "\" still has connections; remove them first");
    project_.graph.removeBlock(id);
    emit blockRemoved(qstr(id));
    afterEdit();
}

void GraphModel::insertConnection(const Connection& c, int index)
{
    project_.graph.connect(c, index);
    emit connectionAdded(c);
    afterEdit();
}

void GraphModel::removeConnection(const Connection& c)
{
    project_.graph.disconnect(c);
    emit connectionRemoved(c);
    afterEdit();
}

void GraphModel::moveBlock(const std::string& id, Point position)
{
    project_.graph.moveBlock(id, position);
    emit blockMoved(qstr(id));
    emit changed();
}

void GraphModel::setParameter(const std::string& block, const std::string& param, const std::optional<Parameter>& p)
{
    if (p)
        project_.graph.setParameter(block, param, *p);
    else
        project_.graph.clearParameter(block, param);
    emit blockChanged(qstr(block));
    afterEdit();
}

void GraphModel::setLabel(const std::string& block, const std::string& label)
{
    project_.graph.setLabel(block, label);
    emit blockChanged(qstr(block));
    emit changed();
}

void GraphModel::setSettings(const ObjectiveWeights& objective, const SearchSettings& search,
                             const std::vector<std::string>& boards)
{
    project_.objective = objective;
    project_.search = search;
    project_.boards = boards;
    endOverlay();
    emit settingsChanged();
    emit changed();
}

} // namespace nesy::gui
