@_exported import ZhisouAnalysis
@_exported import ZhisouCorpus
@_exported import ZhisouIndex
